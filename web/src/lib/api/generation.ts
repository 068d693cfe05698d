// Model endpoints and generation jobs (admin). An endpoint's key is sent, never received.
import {
  ZModelEndpointListSchema,
  ZModelEndpointSchema,
  ZTestConnectionResponseSchema,
  type TCreateModelEndpointRequest,
  type TModelEndpoint,
  type TTestConnectionResponse,
  type TUpdateModelEndpointRequest,
} from '$contract/model-endpoints';
import {
  ZCreatedGenerationJobSchema,
  ZGenerationJobListSchema,
  ZGenerationJobPlanSchema,
  ZGenerationJobSchema,
  type TCreateGenerationJobRequest,
  type TGenerationJob,
  type TGenerationJobPlan,
} from '$contract/generation';
import { apiRequest, apiSend } from './client';

const endpointPath = (id: string) => `/api/model-endpoints/${encodeURIComponent(id)}`;

export const fetchEndpoints = async (): Promise<TModelEndpoint[]> => (await apiRequest('GET', '/api/model-endpoints', ZModelEndpointListSchema)).endpoints;
export const createEndpoint = (body: TCreateModelEndpointRequest) => apiRequest('POST', '/api/model-endpoints', ZModelEndpointSchema, body);
export const updateEndpoint = (id: string, body: TUpdateModelEndpointRequest) => apiRequest('PATCH', endpointPath(id), ZModelEndpointSchema, body);
export const deleteEndpoint = (id: string) => apiSend('DELETE', endpointPath(id));
export const testEndpoint = (id: string): Promise<TTestConnectionResponse> => apiRequest('POST', `${endpointPath(id)}/test`, ZTestConnectionResponseSchema, {});

export const fetchJobs = async (campaignId: string): Promise<TGenerationJob[]> =>
  (await apiRequest('GET', `/api/campaigns/${encodeURIComponent(campaignId)}/generation-jobs`, ZGenerationJobListSchema)).jobs;
export const startJob = (campaignId: string, body: TCreateGenerationJobRequest) =>
  apiRequest('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/generation-jobs`, ZCreatedGenerationJobSchema, body);
/** What the job would make (a dry run: checked as its creation is, nothing stored). */
export const planJob = (campaignId: string, body: TCreateGenerationJobRequest): Promise<TGenerationJobPlan> =>
  apiRequest('POST', `/api/campaigns/${encodeURIComponent(campaignId)}/generation-jobs?dryRun=true`, ZGenerationJobPlanSchema, body);
export const fetchJob = (id: string) => apiRequest('GET', `/api/generation-jobs/${encodeURIComponent(id)}`, ZGenerationJobSchema);
export const controlJob = (id: string, action: 'pause' | 'resume' | 'cancel' | 'retry-failed') =>
  apiRequest('POST', `/api/generation-jobs/${encodeURIComponent(id)}/${action}`, ZGenerationJobSchema, {});
