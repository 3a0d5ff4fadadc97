// Lists: the household registry and the shared data-table pieces (sort headers, pager, page size).
export const list = {
  "list.households.new": "新建农户",
  "list.households.search": "搜索",
  "list.households.searchPlaceholder": "户主姓名或身份证号后4–6位",
  "list.households.searchPlaceholderMasked": "户主姓名、身份证号后4位或完整身份证号",
  "list.households.idSearchRefused": "身份证号只能按后4位或完整的18位查找；这次没有按身份证号筛选。",
  "list.households.caption": "农户名册",
  "list.households.noCadre": "未分配",
  "list.households.neverVisited": "尚未走访",

  "list.filters": "筛选条件",
  "list.filters.active": "筛选条件（已选 {count} 项）",
  "list.filter.submit": "筛选",
  "list.filter.clear": "清除筛选",
  "list.filter.all": "全部",
  "list.filter.pickVillageFirst": "请先选择村",
  "list.filter.noCadre": "无帮扶干部",
  "list.filter.planNone": "今年无计划",

  "list.sort.by": "按“{column}”排序",
  "list.sort.ascending": "（升序）",
  "list.sort.descending": "（降序）",

  "list.pager.label": "分页",
  "list.pager.first": "首页",
  "list.pager.last": "末页",
  "list.pager.range": "第 {from}–{to} 条，共 {total} 条",
  "list.pager.pageSize": "每页条数",
  "list.pager.pageSizeOption": "每页 {size} 条",
  "list.pager.apply": "确定",
  "list.loading": "正在加载…",
} as const;
