export {
  type DefineToolOptions,
  defineTool,
  jsonSchemaFromZod,
  type Tool,
  type ToolExecuteContext,
  toolDefinition,
  toolNamePattern,
} from './define-tool.js';
