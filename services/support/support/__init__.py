"""support: the support requests of client companies, opened by their users and answered by the vendor."""
