//! 3.2.8 Quota, 3.2.11 Usage trajectories.
