"""Mathematics every claim shares, each written once: the Penrose conditions, the
losses and their gradients, and the trusted facts the proofs cite."""
