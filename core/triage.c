/* core/triage.c: placeholder until written. */
