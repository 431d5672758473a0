// Testing helpers for hosts (createTestClaw) arrive with the gateway.
export {};
