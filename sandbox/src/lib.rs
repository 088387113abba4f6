//! CMI platform simulator.
