"""identity: companies and their third-party associates, users, credentials and sign-in audits."""
