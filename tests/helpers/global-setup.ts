// Vitest global setup: migrate a template database once, then every test file clones it.
import type { TestProject } from 'vitest/node';
import { prepareTemplate, type TemplateDb } from './template-db';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDb: TemplateDb;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  project.provide('templateDb', await prepareTemplate(process.env.DATABASE_URL || undefined));
}
