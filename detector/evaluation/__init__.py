"""The eval harness: load labeled samples, run the detector, match, measure."""
