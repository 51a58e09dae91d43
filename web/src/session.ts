// Who is signed in, and their workspace: one query each, shared by every screen.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './api.ts';
import type { Agent, Me, Queue, Team, Workspace } from './types.ts';

export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api<Me>('/api/v1/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useWorkspace(enabled = true) {
  return useQuery({ queryKey: ['workspace'], queryFn: () => api<Workspace>('/api/v1/workspace'), enabled, staleTime: 300_000 });
}

export function useAgents() {
  return useQuery({
    queryKey: ['agents'],
    queryFn: async () => (await api<{ data: Agent[] }>('/api/v1/agents')).data,
    staleTime: 300_000,
  });
}

export function useTeams() {
  return useQuery({
    queryKey: ['teams'],
    queryFn: async () => (await api<{ data: Team[] }>('/api/v1/teams')).data,
    staleTime: 300_000,
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/v1/auth/logout', { method: 'POST' }),
    onSettled: () => {
      client.clear();
      client.setQueryData(['me'], null);
    },
  });
}

export function agentName(agents: Agent[] | undefined, id: string | null): string | null {
  if (!id) return null;
  return agents?.find((a) => a.id === id)?.name ?? null;
}

export function useQueues() {
  return useQuery({
    queryKey: ['queues'],
    queryFn: async () => (await api<{ data: Queue[] }>('/api/v1/queues')).data,
    staleTime: 300_000,
  });
}
