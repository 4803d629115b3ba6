"""Thai helpers: Buddhist-era dates, Thai dictionary sorting, provinces and districts."""
