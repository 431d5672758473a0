// Testing helpers for channel adapters: a test channel and the conformance kit (to come).
export {};
