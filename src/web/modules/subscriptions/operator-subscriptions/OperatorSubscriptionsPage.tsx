import { PageTitle } from '../../../ui/index.js';
import { useServices } from '../../catalogue/api.js';
import { BulkSection } from './BulkSection.js';
import { QueueSection } from './QueueSection.js';
import { SubscribersSection } from './SubscribersSection.js';

export function OperatorSubscriptionsPage() {
  const services = useServices();
  const serviceOptions = (services.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }));
  return (
    <>
      <PageTitle title="Abonnements" />
      <QueueSection serviceOptions={serviceOptions} />
      <SubscribersSection serviceOptions={serviceOptions} />
      <BulkSection serviceOptions={serviceOptions} />
    </>
  );
}
