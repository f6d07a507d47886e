"""smolcall: small models as reliable function callers."""
