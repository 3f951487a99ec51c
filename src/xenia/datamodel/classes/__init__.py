"""One module per XenAPI class that xenia serves; each defines FIELDS, ENUMS and the ClassDef."""
