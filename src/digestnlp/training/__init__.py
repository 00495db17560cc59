"""Everything that makes the bundled models: data readers, the NLI recipe, the training loop and
the calibration fit. Run-time checking (``digestnlp.check``) never imports from here."""
