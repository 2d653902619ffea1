"""What tests and benchmarks share to run the app as users meet it: the real app served in this process, and a Hub
cache of random-init weights for pairs whose real weights are not at hand."""
