ALTER TABLE `dataset_versions` ADD `media_bytes` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `dataset_versions` SET `media_bytes` = coalesce((
	SELECT sum(m.`size`) FROM (SELECT DISTINCT t.`media_id` AS mid FROM `dataset_version_items` i JOIN `tasks` t ON t.`id` = i.`task_id` WHERE i.`version_id` = `dataset_versions`.`id` AND t.`media_id` IS NOT NULL) x
	JOIN `media` m ON m.`id` = x.mid), 0);
