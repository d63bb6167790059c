// Evaluated before any schema is built: zod would otherwise probe `new Function` (to compile fast parsers),
// which the page's CSP (script-src 'self', no eval) rightly blocks and reports. The page never needs the speed.
import { z } from 'zod';

z.config({ jitless: true });
