import { PageTitle } from '../../../ui/index.js';
import { BillingRunSection } from './BillingRunSection.js';
import { ExportsSection } from './ExportsSection.js';
import { InvoicesSection } from './InvoicesSection.js';
import { PaymentImportSection } from './PaymentImportSection.js';

export function OperatorBillingPage() {
  return (
    <>
      <PageTitle title="Facturation" />
      <BillingRunSection />
      <InvoicesSection />
      <PaymentImportSection />
      <ExportsSection />
    </>
  );
}
