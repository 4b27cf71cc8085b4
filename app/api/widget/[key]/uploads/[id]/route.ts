import { widgetUploadFile } from "@/server/http/widget-upload-file";

export const dynamic = "force-dynamic";

export const GET = widgetUploadFile;
