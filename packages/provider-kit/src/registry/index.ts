export {
  createProviderRegistry,
  type ProviderRegistry,
  providerNamePattern,
} from './create-provider-registry.js';
