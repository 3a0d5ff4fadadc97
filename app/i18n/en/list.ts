import type { list as zh } from "../zh-CN/list";

export const list: Record<keyof typeof zh, string> = {
  "list.households.new": "New household",
  "list.households.search": "Search",
  "list.households.searchPlaceholder": "Name or ID last 4–6 digits",
  "list.households.searchPlaceholderMasked": "Name, ID last 4 digits or the whole ID number",
  "list.households.privateQueryInUrl":
    "ID numbers are not kept in web addresses: type it in the search box above. The list is not filtered by it.",
  "list.households.postedTotal": "{total} households found by ID number",
  "list.households.idSearchRefused":
    "ID numbers can be searched by their last 4 characters or the whole 18-character number only; the list is not filtered by ID number.",
  "list.households.caption": "Household registry",
  "list.households.noCadre": "None",
  "list.households.neverVisited": "Never visited",

  "list.filters": "Filters",
  "list.filters.active": "Filters ({count} set)",
  "list.filter.submit": "Filter",
  "list.filter.clear": "Clear filters",
  "list.filter.all": "All",
  "list.filter.pickVillageFirst": "Village first",
  "list.filter.noCadre": "No aid cadre",
  "list.filter.planNone": "No plan this year",

  "list.sort.label": "Sort by:",
  "list.sort.by": "Sort by “{column}”",
  "list.sort.ascending": " (ascending)",
  "list.sort.descending": " (descending)",

  "list.pager.label": "Pages",
  "list.pager.first": "First",
  "list.pager.last": "Last",
  "list.pager.range": "{from}–{to} of {total}",
  "list.pager.pageSize": "Rows per page",
  "list.pager.pageSizeOption": "{size} per page",
  "list.pager.apply": "Apply",
  "list.loading": "Loading…",
};
