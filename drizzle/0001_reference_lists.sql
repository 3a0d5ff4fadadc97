-- Reference lists every installation needs (not demo data): crops and animals of the courtyard economy.
INSERT INTO "crops" ("code", "name_zh", "name_en", "sort_order") VALUES
  ('chili', '辣椒', 'Chili', 1),
  ('potato', '马铃薯', 'Potato', 2),
  ('cabbage', '白菜', 'Chinese cabbage', 3),
  ('cowpea', '豇豆角', 'Cowpea', 4),
  ('corn', '玉米', 'Corn', 5),
  ('soybean', '大豆', 'Soybean', 6),
  ('tomato', '西红柿', 'Tomato', 7),
  ('cucumber', '黄瓜', 'Cucumber', 8),
  ('eggplant', '茄子', 'Eggplant', 9),
  ('green_onion', '大葱', 'Green onion', 10),
  ('fungus', '黑木耳', 'Black fungus', 11),
  ('other', '其他', 'Other', 99)
ON CONFLICT ("code") DO NOTHING;
--> statement-breakpoint
INSERT INTO "animals" ("code", "name_zh", "name_en", "sort_order") VALUES
  ('pig', '生猪', 'Pig', 1),
  ('chicken', '鸡', 'Chicken', 2),
  ('duck', '鸭', 'Duck', 3),
  ('goose', '鹅', 'Goose', 4),
  ('cattle', '肉牛', 'Beef cattle', 5),
  ('sheep', '羊', 'Sheep', 6),
  ('rabbit', '兔', 'Rabbit', 7),
  ('bee', '蜜蜂（箱）', 'Bees (hives)', 8),
  ('other', '其他', 'Other', 99)
ON CONFLICT ("code") DO NOTHING;
