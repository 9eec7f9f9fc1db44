import { Link, useParams } from '@tanstack/react-router';
import { formatNumber, PageTitle, QueryView } from '../../../ui/index.js';
import { useTemplate } from '../api.js';
import { formatParisDateTime } from '../format.js';
import { DpoNav } from '../nav.js';
import { RequireDpo } from '../scope.js';
import { ApplySection } from './ApplySection.js';
import { TemplateEditor } from './TemplateEditor.js';

export function NewTemplatePage() {
  return (
    <RequireDpo>
      <PageTitle title="Nouveau modèle" />
      <DpoNav />
      <TemplateEditor />
    </RequireDpo>
  );
}

export function TemplatePage() {
  const { templateId } = useParams({ from: '/operateur/rgpd/modeles/$templateId' });
  return (
    <RequireDpo>
      <TemplateDetail templateId={templateId} />
    </RequireDpo>
  );
}

function TemplateDetail({ templateId }: { templateId: string }) {
  const template = useTemplate(templateId);
  return (
    <>
      <nav className="breadcrumb" aria-label="Fil d'Ariane">
        <ol>
          <li>
            <Link to="/operateur/rgpd/modeles">Modèles de traitements</Link>
          </li>
          <li aria-current="page">{template.data?.name ?? 'Modèle'}</li>
        </ol>
      </nav>
      <PageTitle title={template.data ? `Modèle : ${template.data.name}` : 'Modèle'} />
      <QueryView query={template} loadingLabel="Chargement du modèle…">
        {(t) => (
          <>
            <p className="muted">
              Code {t.code} — version {t.version}, modifiée le {formatParisDateTime(t.updatedAt)} —{' '}
              {formatNumber(t.linkedProcessings)} fiche{t.linkedProcessings > 1 ? 's' : ''} liée
              {t.linkedProcessings > 1 ? 's' : ''}.
            </p>
            <ApplySection template={t} />
            <h2>Contenu du modèle</h2>
            <p>
              Enregistrer une modification crée une nouvelle version : les fiches liées affichent alors « mise
              à jour disponible ».
            </p>
            <TemplateEditor template={t} />
          </>
        )}
      </QueryView>
    </>
  );
}
