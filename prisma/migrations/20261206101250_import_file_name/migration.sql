-- AlterTable
ALTER TABLE "Import" ADD COLUMN     "fileName" TEXT;
