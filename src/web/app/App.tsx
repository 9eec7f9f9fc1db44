import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { announce, type Confirmation } from '../ui/index.js';
import { ApiError } from './api.js';
import { router } from './router.js';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: { success?: Confirmation };
  }
}

const queryClient = new QueryClient({
  // Every create, save and send confirms in the layout's live region (ui/Feedback.tsx Announcements).
  mutationCache: new MutationCache({
    onSuccess: (data, variables, _context, mutation) => {
      const success = mutation.meta?.success;
      // The function was written for this mutation's own answer and input (see Confirmation).
      const text = typeof success === 'function' ? success(data as never, variables as never) : success;
      if (text) announce(text);
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  );
}
