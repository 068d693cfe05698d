// The route validator: each route's zod schema, behind one rule every request string obeys (no NUL, no
// unpaired surrogate: Postgres cannot store them). Applied here, once, every field of every body, query
// and params is covered, including routes added later; a violation is a 400 VALIDATION_FAILED naming the field.
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { findUnsafeText } from '../contract/safe-text';

const ZStorableText = z.unknown().superRefine((value, ctx) => {
  const unsafe = findUnsafeText(value);
  if (unsafe) ctx.addIssue({ code: 'custom', path: unsafe.path, message: `${unsafe.problem}: remove it` });
});

export const safeTextValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) =>
  validatorCompiler({ ...route, schema: ZStorableText.pipe(route.schema) });
