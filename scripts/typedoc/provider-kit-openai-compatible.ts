/**
 * Any OpenAI chat-completions server (OpenAI, Ollama, vLLM, …) over fetch and server-sent events.
 *
 * @module @claw/provider-kit/openai-compatible
 */
export * from '@claw/provider-kit/openai-compatible';
