from django import forms
from django.conf import settings


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="A CSV file.")

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size == 0:
            raise forms.ValidationError("The file is empty.")
        if f.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than the {settings.IMPORT_MAX_UPLOAD_BYTES // (1024 * 1024)} MB limit."
            )
        return f
