//! 3.2.4 H-IMSI state, 3.2.10 SIM info.
