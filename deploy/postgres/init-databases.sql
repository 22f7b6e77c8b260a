-- One database per service: the portal's services share no tables. PostgreSQL's image runs this
-- once, when its data volume is empty, as POSTGRES_USER (who then owns every database).
-- portal-migrate also creates a missing database, so a service added later needs no change here.
CREATE DATABASE portal_identity;
CREATE DATABASE portal_catalog;
CREATE DATABASE portal_assets;
CREATE DATABASE portal_knowledge;
CREATE DATABASE portal_support;
CREATE DATABASE portal_notifications;
CREATE DATABASE portal_declarations;
CREATE DATABASE portal_gateway;
