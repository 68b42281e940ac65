"""Black-box suite: one set of HTTP assertions run against every generated stack."""
