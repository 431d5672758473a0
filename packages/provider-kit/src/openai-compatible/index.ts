// @claw/provider-kit/openai-compatible: any OpenAI chat-completions server (OpenAI, Ollama, vLLM,
// Kimi, …) over fetch and SSE.
export { type OpenAICompatibleOptions, openaiCompatible } from './provider.js';
