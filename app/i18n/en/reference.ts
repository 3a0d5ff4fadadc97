// Typed as the full dictionary: a key missing in English is a compile error.
import type { reference as zh } from "../zh-CN/reference";

export const reference: Record<keyof typeof zh, string> = {
  "nav.reference": "Reference lists",
  "reference.metaTitle": "Reference lists",
  "reference.title": "Reference lists",
  "reference.intro":
    "Plans, orders and household records choose from these lists. A code, once added, never changes and is never given to another entry; names can be changed. A retired entry is no longer offered; the plans, orders and households that use it still show it (marked retired).",
  "reference.list.crops": "Crops",
  "reference.list.animals": "Livestock",
  "reference.list.povertyCauses": "Poverty causes",
  "reference.lists": "Lists",
  "reference.code": "Code",
  "reference.codeHint":
    "Starts with a lowercase letter; lowercase letters, digits and underscores, up to 30 characters; cannot be changed later",
  "reference.nameZh": "Chinese name",
  "reference.nameEn": "English name",
  "reference.nameEnHint": "Optional; the English pages show the Chinese name when left empty",
  "reference.add.crops": "Add a crop",
  "reference.add.animals": "Add livestock",
  "reference.add.povertyCauses": "Add a poverty cause",
  "reference.addSubmit": "Add",
  "reference.rename": "Rename",
  "reference.save": "Save names",
  "reference.retire": "Retire",
  "reference.restore": "Restore",
  "reference.retiredBadge": "Retired",
  "reference.retiredOn": "Retired on {date}",
  "reference.uses.plans": "{count} plans",
  "reference.uses.orders": "{count} orders",
  "reference.uses.households": "{count} households",
  "reference.none": "The list is empty.",
  "reference.saved.added": "Added.",
  "reference.saved.renamed": "Names saved.",
  "reference.saved.retired": "Retired: no longer offered; the records that use it are unchanged.",
  "reference.saved.restored": "Restored.",
  "reference.error.codeFormat":
    "A code starts with a lowercase letter and has only lowercase letters, digits and underscores",
  "reference.error.codeTaken": "The code {code} is already used (retired entries included); choose another",
  "reference.error.nameTaken": "“{name}” is already on the list; choose another name",
  "reference.error.restoreNameTaken":
    "Cannot restore: a live entry is already called “{name}”. Rename one of them first",
  "reference.error.alreadyRetired": "This entry is already retired",
  "reference.error.notRetired": "This entry is in use; there is nothing to restore",
} as const;
