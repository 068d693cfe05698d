// Model endpoints page: the list, registering one, testing its connection, removing it.
import type { TCreateModelEndpointRequest, TModelEndpoint, TTestConnectionResponse } from '$contract/model-endpoints';
import { createEndpoint, deleteEndpoint, fetchEndpoints, testEndpoint } from '../api/generation';
import { Action } from './action.svelte';

export class EndpointList {
  endpoints = $state<TModelEndpoint[] | null>(null);
  /** The last test of each endpoint, by id. */
  tests = $state<Record<string, TTestConnectionResponse & { testing?: boolean }>>({});
  readonly loading = new Action();
  readonly creating = new Action();
  readonly removing = new Action();

  refresh(): Promise<void> {
    return this.loading.run(async () => {
      this.endpoints = await fetchEndpoints();
    });
  }

  create(body: TCreateModelEndpointRequest): Promise<void> {
    return this.creating.run(async () => {
      await createEndpoint(body);
      this.endpoints = await fetchEndpoints();
    });
  }

  async test(id: string): Promise<void> {
    this.tests = { ...this.tests, [id]: { ok: false, latencyMs: 0, testing: true } };
    try {
      this.tests = { ...this.tests, [id]: await testEndpoint(id) };
    } catch (caught) {
      this.tests = { ...this.tests, [id]: { ok: false, latencyMs: 0, error: { status: null, message: (caught as Error).message } } };
    }
  }

  remove(id: string): Promise<void> {
    return this.removing.run(async () => {
      await deleteEndpoint(id);
      this.endpoints = await fetchEndpoints();
    });
  }
}
