"""The Etafi declarative portal's filings: deposit, checks, signed receipt, following."""
