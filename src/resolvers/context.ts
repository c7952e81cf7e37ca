import type { Viewer } from '../services/access.js';
import type { Loaders } from '../services/loaders.js';
import type { Services } from '../services/index.js';

/** What every resolver receives: who is asking, the services, and this request's loaders. */
export interface RequestContext {
  viewer: Viewer;
  services: Services;
  loaders: Loaders;
}
