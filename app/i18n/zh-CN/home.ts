// The home pages' work lists: what each role has to do today, each item leading to where it is done.
export const home = {
  "home.work.approvals": "待审批",
  "home.work.returned": "已退回待修改",
  "home.work.gaps": "未覆盖农户",

  "home.returned.title": "退回待修改",
  "home.returned.plan": "{year}年帮扶计划",
  "home.returned.amendment": "{year}年计划变更",
  "home.returned.reason": "退回原因：{reason}",
  "home.returned.open": "去修改",

  "home.problems.title": "未解决的问题",
  "home.problems.found": "{date} 走访发现",

  "home.call": "拨打",
  "home.callHead": "拨打 {head}户电话",

  "home.clerk.dueThisWeek": "本周应交货",
  "home.clerk.dueWeek": "{from} 至 {to}",
  "home.clerk.noneDue": "本周没有待交货的订单。",
  "home.clerk.remaining": "还差 {kg} 公斤",
  "home.clerk.deliveredOf": "已交 {delivered} / {ordered} 公斤",
  "home.clerk.owed": "买方未付货款",
  "home.clerk.owedTotal": "共欠 {yuan} 元",
  "home.clerk.noneOwed": "已交货的货款都已付清。",
  "home.clerk.owedValue": "已交 {delivered} 元 · 已付 {paid} 元 · 欠 {owed} 元",

  "household.planState": "今年计划",
  "household.noPlanYet": "尚未制定",
  "household.openProblems": "未解决的问题",
  "household.problemSolvedSaved": "已标记为解决。",
  "household.gapReasons": "未覆盖原因",
  "household.backToGaps": "返回未覆盖名单",

  "approvals.returned.title": "已退回的计划和变更",
  "approvals.returned.intro": "共 {count} 项已退回，等待帮扶干部修改后重新提交。",
  "approvals.returned.none": "没有退回待修改的计划或变更。",
  "approvals.returned.on": "{date} 退回",
  "approvals.tab.waiting": "待审批",
  "approvals.tab.returned": "已退回",
} as const;
