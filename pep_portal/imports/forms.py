from django import forms

from pep_portal.platform.uploads import check_size


class ImportUploadForm(forms.Form):
    file = forms.FileField(help_text="A CSV file.")
    upload_purpose = "national_data"

    def clean_file(self):
        f = self.cleaned_data["file"]
        check_size(f, purpose=self.upload_purpose)
        return f
