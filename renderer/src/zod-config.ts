/**
 * Must be the renderer's first import: zod compiles validators with `new Function` unless told not to,
 * and the strict CSP (no 'unsafe-eval') refuses that (zod issues #4368, #5414). Schemas defined before
 * this call would keep the JIT path.
 */
import { z } from 'zod';

z.config({ jitless: true });
