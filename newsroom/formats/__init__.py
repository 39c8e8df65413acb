"""Date, time and number formats per language (settings.FORMAT_MODULE_PATH); a language
without a module here keeps Django's own."""
