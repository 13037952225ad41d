/**
 * Invoicing profiles (spec §8) for a generated log: one `ProviderProfileSet` and one
 * `CustomerProfileSet` per customer booked in it, deterministic, recorded at 2020-01-01 so that they
 * are in force for every invoice when put in front of the log. Customers of a contract booked at 0 %
 * VAT are reverse-charge customers (with a VAT id), as an e-invoice needs; names carry umlauts and
 * markup characters.
 */
import type { WireEvent } from '@msp-billing/events';

const AT = '2020-01-01T00:00:00Z';

/**
 * A valid provider profile (the data of a `ProviderProfileSet`, spec §8) with every field set, as an
 * e-invoice needs it; a fresh object each call, to spread and override.
 */
export const exampleProviderProfile = () => ({
  name: 'Beispiel Hosting GmbH & Co. KG',
  street: 'Friedrichstraße 12',
  city: 'Berlin',
  postalCode: '10117',
  countryCode: 'DE',
  vatId: 'DE123456789',
  taxNumber: '37/123/45678',
  registrationId: 'HRB 12345 B',
  electronicAddress: 'rechnung@hosting.example',
  contactName: 'Erika Mustermann',
  contactPhone: '+49 30 1234567',
  contactEmail: 'buchhaltung@hosting.example',
  iban: 'DE89370400440532013000',
  bic: 'COBADEFFXXX',
  paymentTermsDays: 14,
});

/**
 * A valid customer profile (the data of a `CustomerProfileSet`, spec §8) of customer `cust-1` with
 * the required fields only: no VAT id, no buyer reference, not reverse charge. A fresh object each
 * call, to spread and override.
 */
export const exampleCustomerProfile = () => ({
  customerId: 'cust-1',
  name: 'Kunde & Söhne AG',
  street: 'Marienplatz 1',
  city: 'München',
  postalCode: '80331',
  countryCode: 'DE',
  electronicAddress: 'e-rechnung@kunde.example',
});

/** The profiles for the customers of `log`, to be put in front of it. */
export const invoicingProfilesFor = (log: Iterable<WireEvent>): WireEvent[] => {
  const zeroVat = new Map<string, boolean>();
  for (const e of log)
    if (e.type === 'MSPBooked') {
      const id = e.data['customerId'] as string;
      zeroVat.set(id, (zeroVat.get(id) ?? false) || e.data['vatRatePercent'] === '0');
    }
  return [
    {
      id: 'profile-provider',
      type: 'ProviderProfileSet',
      occurredAt: AT,
      data: exampleProviderProfile(),
    },
    ...[...zeroVat].map(([customerId, reverseCharge], i): WireEvent => ({
      id: `profile-customer-${i}`,
      type: 'CustomerProfileSet',
      occurredAt: AT,
      data: {
        customerId,
        name: `Kunde ${i} Müller & Söhne <GmbH>`,
        street: `Hauptstraße ${i + 1}`,
        city: 'Köln',
        postalCode: String(50_000 + (i % 10_000)),
        countryCode: reverseCharge ? 'GB' : 'DE',
        vatId: reverseCharge ? `GB${String(100_000_000 + i)}` : `DE${String(100_000_000 + i)}`,
        electronicAddress: `e-rechnung+${i}@kunde.example`,
        buyerReference: `04011000-${String(i).padStart(5, '0')}-34`,
        reverseCharge,
        debtorAccount: 10_000 + i,
      },
    })),
  ];
};
