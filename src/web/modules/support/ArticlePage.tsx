import { Link, useParams } from '@tanstack/react-router';
import { Button, PageTitle, QueryView } from '../../ui/index.js';
import { useArticle, useArticleFeedback } from './api.js';

/** One article, its markdown rendered by the server without raw HTML; « did this answer your question? ». */
export function ArticlePage() {
  const { articleId } = useParams({ from: '/aide/$articleId' });
  const article = useArticle(articleId);
  const feedback = useArticleFeedback(articleId);
  return (
    <QueryView query={article} loadingLabel="Chargement de l’article…">
      {(a) => (
        <>
          <PageTitle title={a.title} />
          <p>
            <Link to="/aide">Tous les articles</Link>
            {a.serviceName && <> — {a.serviceName}</>}
          </p>
          {/* The server renders markdown with raw HTML disabled (markdown-it, html: false). */}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: escaped by the server, no raw HTML */}
          <div className="support-article" dangerouslySetInnerHTML={{ __html: a.html }} />
          <section aria-labelledby="utile-titre">
            <h2 id="utile-titre">Cet article a-t-il répondu à votre question ?</h2>
            {feedback.isSuccess ? (
              <p role="status">Merci pour votre réponse.</p>
            ) : (
              <p>
                <Button
                  variant="secondary"
                  pending={feedback.isPending}
                  onClick={() => feedback.mutate(true)}
                >
                  Oui
                </Button>{' '}
                <Button
                  variant="secondary"
                  pending={feedback.isPending}
                  onClick={() => feedback.mutate(false)}
                >
                  Non
                </Button>
              </p>
            )}
          </section>
        </>
      )}
    </QueryView>
  );
}
