import { printRoutePreview } from './route-preview.js';

printRoutePreview();
