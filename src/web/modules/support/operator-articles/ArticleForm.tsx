import {
  ARTICLE_VISIBILITIES,
  ARTICLE_VISIBILITY_LABELS,
  type Article,
  type ArticleUpdate,
  type ArticleVisibility,
} from '../../../../contracts/support.js';
import { Button, Form, optionsOf, SelectField, TextAreaField, TextField } from '../../../ui/index.js';
import { CatalogueServiceField } from '../components.js';

/** An article's fields, the catalogue service it is about included (null: none; an edit's PUT requires it). */
export function ArticleForm({
  article,
  error,
  pending,
  submitLabel,
  onSubmit,
}: {
  article?: Article;
  error: unknown;
  pending: boolean;
  submitLabel: string;
  onSubmit: (body: ArticleUpdate) => void;
}) {
  return (
    <Form
      id="article"
      error={error}
      onSubmit={(data) =>
        onSubmit({
          title: String(data.get('title') ?? '').trim(),
          body: String(data.get('body') ?? ''),
          visibility: String(data.get('visibility') ?? 'public') as ArticleVisibility,
          serviceId: String(data.get('serviceId') ?? '') || null,
        })
      }
    >
      <TextField name="title" label="Titre" required defaultValue={article?.title} />
      <TextAreaField
        name="body"
        label="Texte"
        hint="Markdown : **gras**, listes avec « - », liens ; le HTML est affiché tel quel, jamais interprété."
        rows={14}
        required
        defaultValue={article?.body}
      />
      <SelectField
        name="visibility"
        label="Visibilité"
        options={optionsOf(ARTICLE_VISIBILITY_LABELS, ARTICLE_VISIBILITIES)}
        defaultValue={article?.visibility ?? 'public'}
      />
      <CatalogueServiceField defaultValue={article?.serviceId} />
      <div className="form-actions">
        <Button type="submit" pending={pending}>
          {submitLabel}
        </Button>
      </div>
    </Form>
  );
}
