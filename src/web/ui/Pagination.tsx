import { useCallback, useEffect, useRef, useState } from 'react';
import { Button } from './Button.js';

/**
 * Keyset pagination keeps the cursors of the pages already seen, so "Page précédente" goes back
 * without offsets. The stack resets whenever `resetKey` (the filters) changes.
 */
export function useCursorPages(resetKey: string) {
  const [stack, setStack] = useState<string[]>([]);
  const lastKey = useRef(resetKey);
  useEffect(() => {
    if (lastKey.current !== resetKey) {
      lastKey.current = resetKey;
      setStack([]);
    }
  }, [resetKey]);
  const current = lastKey.current === resetKey ? stack : [];
  const next = useCallback((cursor: string) => setStack((s) => [...s, cursor]), []);
  const previous = useCallback(() => setStack((s) => s.slice(0, -1)), []);
  return {
    cursor: current[current.length - 1] as string | undefined,
    pageIndex: current.length,
    next,
    previous,
  };
}

export interface PaginationProps {
  label: string;
  pageIndex: number;
  pageSize: number;
  shown: number;
  total: number;
  /** false when the list stopped counting at its cap: « sur plus de 1 000 »… */
  totalIsExact?: boolean;
  /** …or, with this true, when `total` is the database's estimate: « sur environ 6 500 ». */
  totalIsEstimate?: boolean;
  nextCursor: string | null;
  onNext: (cursor: string) => void;
  onPrevious: () => void;
}

const fmt = new Intl.NumberFormat('fr-FR');

export function Pagination({
  label,
  pageIndex,
  pageSize,
  shown,
  total,
  totalIsExact = true,
  totalIsEstimate = false,
  nextCursor,
  onNext,
  onPrevious,
}: PaginationProps) {
  const first = total === 0 ? 0 : pageIndex * pageSize + 1;
  const last = pageIndex * pageSize + shown;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const about = totalIsExact ? '' : totalIsEstimate ? 'environ ' : 'plus de ';
  return (
    <nav className="pagination" aria-label={label}>
      <Button variant="secondary" small onClick={onPrevious} disabled={pageIndex === 0}>
        ‹ Page précédente
      </Button>
      <span className="pagination__status" aria-live="polite">
        Page {pageIndex + 1} sur {about}
        {fmt.format(pages)} — résultats {fmt.format(first)} à {fmt.format(last)} sur {about}
        {fmt.format(total)}
      </span>
      <Button
        variant="secondary"
        small
        onClick={() => nextCursor && onNext(nextCursor)}
        disabled={!nextCursor}
      >
        Page suivante ›
      </Button>
    </nav>
  );
}
