import { expect, test } from "vitest";
import { deliveryContractViolations, deliveryPriceDifference, deliveryPriceRange } from "../../app/schemas/orders";

const order = { unitPriceFen: 500, deliveryStart: "2026-08-15", deliveryEnd: "2026-09-30" };

test("the price range is ±30 % of the contract price, in whole fen inside it", () => {
  expect(deliveryPriceRange(500)).toEqual({ min: 350, max: 650 });
  expect(deliveryPriceRange(333)).toEqual({ min: 234, max: 432 }); // 233.1 → 234, 432.9 → 432
  expect(deliveryPriceRange(0)).toEqual({ min: 0, max: 0 });
});

test("the date may be 7 days early and 15 days late, across a month's end", () => {
  const at = (deliveredOn: string) =>
    deliveryContractViolations(order, { unitPriceFen: 500, deliveredOn }).map((v) => v.path);
  expect(at("2026-08-08")).toEqual([]);
  expect(at("2026-08-07")).toEqual(["deliveredOn"]);
  expect(at("2026-10-15")).toEqual([]);
  expect(at("2026-10-16")).toEqual(["deliveredOn"]);
  expect(deliveryContractViolations(order, { unitPriceFen: 1, deliveredOn: "2027-03-01" }).map((v) => v.path)).toEqual([
    "unitPriceFen",
    "deliveredOn",
  ]);
});

test("the order page's difference: sign, fen and a percentage to one decimal", () => {
  expect(deliveryPriceDifference(500, 500)).toBeNull();
  expect(deliveryPriceDifference(500, 450)).toEqual({ diffFen: -50, percent: 10 });
  expect(deliveryPriceDifference(650, 700)).toEqual({ diffFen: 50, percent: 7.7 });
});
