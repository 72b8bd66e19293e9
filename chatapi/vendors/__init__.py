"""Vendor adapters. Each maps its vendor's URLs, auth, envelopes, paging and payloads onto the
core; none contains I/O code of its own."""
