"""Government service items: domain, department adapters, aggregation and search."""
