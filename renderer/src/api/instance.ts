/** The page's one API instance, created on first use (the bridge or the browser client). */
import type { ImprintApi } from '../../../common/api.js';
import { createApi } from './client.js';

let instance: ImprintApi | undefined;

export function api(): ImprintApi {
  return (instance ??= createApi());
}
