import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import { Button, ModalDialog, PageTitle, QueryView } from '../../../ui/index.js';
import { useArticle } from '../api.js';
import { useDeleteArticle, useSaveArticle } from '../operator-api.js';
import { ArticleForm } from './ArticleForm.js';

const back = (
  <p>
    <Link to="/operateur/assistance/articles">Tous les articles</Link>
  </p>
);

export function NewArticlePage() {
  const save = useSaveArticle();
  const navigate = useNavigate();
  return (
    <>
      <PageTitle title="Écrire un article" />
      {back}
      <ArticleForm
        error={save.error}
        pending={save.isPending}
        submitLabel="Publier l’article"
        onSubmit={(body) =>
          save.mutate(
            { body },
            {
              onSuccess: (article) =>
                void navigate({
                  to: '/operateur/assistance/articles/$articleId',
                  params: { articleId: article.id },
                }),
            },
          )
        }
      />
    </>
  );
}

export function EditArticlePage() {
  const { articleId } = useParams({ from: '/operateur/assistance/articles/$articleId' });
  const article = useArticle(articleId);
  const save = useSaveArticle();
  const remove = useDeleteArticle();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  return (
    <QueryView query={article} loadingLabel="Chargement de l’article…">
      {(a) => (
        <>
          <PageTitle title={`Modifier : ${a.title}`} />
          {back}
          <p>
            <Link to="/aide/$articleId" params={{ articleId: a.id }}>
              Voir l’article publié
            </Link>
          </p>
          <ArticleForm
            key={a.updatedAt}
            article={a}
            error={save.error}
            pending={save.isPending}
            submitLabel="Enregistrer l’article"
            onSubmit={(body) => save.mutate({ id: a.id, body })}
          />
          <p>
            <Button variant="danger" onClick={() => setConfirming(true)}>
              Supprimer l’article
            </Button>
          </p>
          <ModalDialog title="Supprimer cet article ?" isOpen={confirming} onOpenChange={setConfirming}>
            <p>« {a.title} » ne sera plus proposé aux structures. Cette action est définitive.</p>
            <div className="form-actions">
              <Button
                variant="danger"
                pending={remove.isPending}
                onClick={() =>
                  remove.mutate(a.id, {
                    onSuccess: () => void navigate({ to: '/operateur/assistance/articles' }),
                  })
                }
              >
                Supprimer définitivement
              </Button>
              <Button variant="secondary" onClick={() => setConfirming(false)}>
                Garder l’article
              </Button>
            </div>
          </ModalDialog>
        </>
      )}
    </QueryView>
  );
}
