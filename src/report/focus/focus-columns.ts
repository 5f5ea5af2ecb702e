/**
 * The columns of failcost's FOCUS 1.3 export, in file order: the FOCUS columns alphabetically
 * (the spec allows any order), then failcost's own columns, `x_`-prefixed, last.
 */
export const FOCUS_COLUMNS = [
  "BilledCost",
  "BillingAccountId",
  "BillingAccountName",
  "BillingCurrency",
  "BillingPeriodEnd",
  "BillingPeriodStart",
  "ChargeCategory",
  "ChargeClass",
  "ChargeDescription",
  "ChargeFrequency",
  "ChargePeriodEnd",
  "ChargePeriodStart",
  "ContractedCost",
  "EffectiveCost",
  "HostProviderName",
  "InvoiceId",
  "InvoiceIssuerName",
  "ListCost",
  "PricingCategory",
  "PricingQuantity",
  "PricingUnit",
  "ProviderName",
  "PublisherName",
  "ResourceId",
  "ResourceName",
  "ResourceType",
  "ServiceCategory",
  "ServiceName",
  "ServiceProviderName",
  "ServiceSubcategory",
  "SkuId",
  "SkuPriceId",
  "Tags",
] as const;

/** failcost's custom columns (FOCUS: custom columns are `x_`-prefixed and come last). */
export const CUSTOM_COLUMNS = [
  "x_Job",
  "x_Attempt",
  "x_RequestId",
  "x_Model",
  "x_Outcome",
  "x_FailureType",
  "x_Cause",
  "x_Used",
  "x_Duplicate",
  "x_CostSource",
  "x_BilledCostHigh",
  "x_WastedCost",
  "x_RunSeconds",
] as const;

/** Every column of the export, in order. */
export const EXPORT_COLUMNS = [...FOCUS_COLUMNS, ...CUSTOM_COLUMNS] as const;

/** One column name of the export. */
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** One row: a value per column; `null` is FOCUS's null (an empty cell). */
export type FocusRow = Readonly<Record<ExportColumn, string | null>>;

/** FOCUS data types of the columns, for the schema metadata. */
export const COLUMN_TYPES: Readonly<Record<ExportColumn, "Decimal" | "Integer" | "String" | "DateTime" | "JSON">> = {
  BilledCost: "Decimal",
  BillingAccountId: "String",
  BillingAccountName: "String",
  BillingCurrency: "String",
  BillingPeriodEnd: "DateTime",
  BillingPeriodStart: "DateTime",
  ChargeCategory: "String",
  ChargeClass: "String",
  ChargeDescription: "String",
  ChargeFrequency: "String",
  ChargePeriodEnd: "DateTime",
  ChargePeriodStart: "DateTime",
  ContractedCost: "Decimal",
  EffectiveCost: "Decimal",
  HostProviderName: "String",
  InvoiceId: "String",
  InvoiceIssuerName: "String",
  ListCost: "Decimal",
  PricingCategory: "String",
  PricingQuantity: "Decimal",
  PricingUnit: "String",
  ProviderName: "String",
  PublisherName: "String",
  ResourceId: "String",
  ResourceName: "String",
  ResourceType: "String",
  ServiceCategory: "String",
  ServiceName: "String",
  ServiceProviderName: "String",
  ServiceSubcategory: "String",
  SkuId: "String",
  SkuPriceId: "String",
  Tags: "JSON",
  x_Job: "String",
  x_Attempt: "Integer",
  x_RequestId: "String",
  x_Model: "String",
  x_Outcome: "String",
  x_FailureType: "String",
  x_Cause: "String",
  x_Used: "String",
  x_Duplicate: "String",
  x_CostSource: "String",
  x_BilledCostHigh: "Decimal",
  x_WastedCost: "Decimal",
  x_RunSeconds: "Decimal",
};
