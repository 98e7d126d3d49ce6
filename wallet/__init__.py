"""Electronic-license credentials: issue, present and verify QD1 QR codes offline."""
