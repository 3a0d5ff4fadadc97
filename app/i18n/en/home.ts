import type { home as zh } from "../zh-CN/home";

export const home: Record<keyof typeof zh, string> = {
  "home.work.approvals": "Waiting for approval",
  "home.work.returned": "Returned for changes",
  "home.work.gaps": "Households not covered",

  "home.returned.title": "Returned for changes",
  "home.returned.plan": "{year} plan",
  "home.returned.amendment": "{year} plan amendment",
  "home.returned.reason": "Returned because: {reason}",
  "home.returned.open": "Revise",

  "home.problems.title": "Open problems",
  "home.problems.found": "Found on the visit of {date}",

  "home.call": "Call",
  "home.callHead": "Call the {head} household",

  "home.clerk.dueThisWeek": "Deliveries due this week",
  "home.clerk.dueWeek": "{from} to {to}",
  "home.clerk.noneDue": "No order has a delivery due this week.",
  "home.clerk.remaining": "{kg} kg still to deliver",
  "home.clerk.deliveredOf": "{delivered} of {ordered} kg delivered",
  "home.clerk.owed": "Money buyers still owe",
  "home.clerk.owedTotal": "{yuan} yuan owed in all",
  "home.clerk.noneOwed": "Every delivery has been paid for.",
  "home.clerk.owedValue": "Delivered {delivered} · paid {paid} · owed {owed} yuan",

  "household.planState": "This year's plan",
  "household.noPlanYet": "Not drawn up yet",
  "household.openProblems": "Open problems",
  "household.problemSolvedSaved": "Marked solved.",
  "household.gapReasons": "Not covered because",
  "household.backToGaps": "Back to the households not covered",

  "approvals.returned.title": "Returned plans and amendments",
  "approvals.returned.intro": "{count} returned, waiting for the cadre to revise and resubmit.",
  "approvals.returned.none": "No plan or amendment is waiting to be revised.",
  "approvals.returned.on": "Returned {date}",
  "approvals.tab.waiting": "Waiting",
  "approvals.tab.returned": "Returned",
};
